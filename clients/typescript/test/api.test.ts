// One API process for every Node test: started once, shared by the suites, stopped at the end.
import { after, before, describe } from "node:test";
import { flowTests } from "./flows.js";
import { startApi, type RunningApi } from "./harness.js";
import { enrollmentAndMpnFlowTests } from "./enrollment-and-mpn-flows.js";
import { lifecycleFlowTests } from "./lifecycle-flows.js";
import { swaggerUiTests } from "./swagger-ui.js";

let running: RunningApi | undefined;
const api = (): RunningApi => {
  if (running === undefined) {
    throw new Error("the API is not running");
  }
  return running;
};

describe("PartnerAccounts API through generated clients", () => {
  before(async () => {
    running = await startApi();
  });
  after(async () => {
    await running?.stop();
  });

  flowTests(api);
  enrollmentAndMpnFlowTests(api);
  lifecycleFlowTests(api);
  swaggerUiTests(api);
});
