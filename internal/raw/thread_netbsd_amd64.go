package raw

import "ptracesuite/internal/nbabi"

const lwpStepReg = nbabi.AMD64_REG_R12
