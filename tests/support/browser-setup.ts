// Runs beside every browser test file: a test fails when any page it opened logged an error,
// threw, failed to hydrate or got a 5xx answer, unless the test allowed that error by name.
import { afterAll, afterEach } from "vitest";
import { expectNoPageErrors } from "./browser";

afterEach(() => expectNoPageErrors());
// Problems that arrive after a file's last test (while its afterAll closes things) still count.
afterAll(() => expectNoPageErrors());
