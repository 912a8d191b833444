package raw

import "ptracesuite/internal/nbabi"

const lwpStepReg = nbabi.ARM_REG_R5
