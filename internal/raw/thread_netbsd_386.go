package raw

import "ptracesuite/internal/nbabi"

const lwpStepReg = nbabi.I386_REG_EBP
