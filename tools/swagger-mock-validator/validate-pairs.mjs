// Runs @pactflow/swagger-mock-validator on many (OpenAPI, pact) pairs in one node process and
// prints one JSON document: {"<name>": {"success": bool, "errors": [codes], "warnings": [codes],
// "crash": "message" | null}}. Input: a JSON array of {name, spec, pact} file paths on argv[2].
// Used by accord's parity test (tests/openapi/test_parity.py); starting node once per pair
// would cost ~2 s each.
import { readFileSync } from "node:fs";
import { SwaggerMockValidatorFactory } from "@pactflow/swagger-mock-validator";

const pairs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const validator = SwaggerMockValidatorFactory.create();
const results = {};
for (const pair of pairs) {
  try {
    const outcome = await validator.validate({
      specPathOrUrl: pair.spec,
      mockPathOrUrl: pair.pact,
    });
    results[pair.name] = {
      success: outcome.success,
      errors: outcome.errors.map((e) => e.code),
      warnings: outcome.warnings.map((w) => w.code),
      crash: null,
    };
  } catch (error) {
    results[pair.name] = { success: false, errors: [], warnings: [], crash: String(error.message || error) };
  }
}
process.stdout.write(JSON.stringify(results));
