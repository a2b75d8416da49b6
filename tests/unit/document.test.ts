import { describe, expect, it } from "vitest";
import { repairDocument } from "~/entry.server";

describe("repairing the rendered document", () => {
  it("drops the NUL bytes React 18 pads Hebrew text with, keeping every character", () => {
    const hebrew = Buffer.from("<!DOCTYPE html><html><body><p>שלום</p></body></html>", "utf8");
    const at = hebrew.indexOf(Buffer.from("לום", "utf8"));
    const padded = Buffer.concat([
      hebrew.subarray(0, at),
      Buffer.from([0, 0]),
      hebrew.subarray(at),
    ]);
    expect(repairDocument(padded).toString()).toBe(
      "<!DOCTYPE html><html><body><p>שלום</p></body></html>",
    );
  });

  it("moves the streamed scripts after </html> into the body", () => {
    const html = '<html><body><main>x</main></body></html><script nonce="n">a()</script><!--$-->';
    expect(repairDocument(Buffer.from(html)).toString()).toBe(
      '<html><body><main>x</main><script nonce="n">a()</script><!--$--></body></html>',
    );
  });

  it("leaves a document with nothing after </html> as it is", () => {
    const html = "<html><body>ok</body></html>";
    expect(repairDocument(Buffer.from(html)).toString()).toBe(html);
  });
});
