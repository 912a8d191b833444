package raw

import "ptracesuite/internal/nbabi"

const lwpStepReg = nbabi.ARM64_REG_X9
