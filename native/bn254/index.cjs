// The addon that build.cjs produced; see src/lib.rs and src/secp256k1_recover.rs for what each function checks.
module.exports = require("./weft_bn254.node");
