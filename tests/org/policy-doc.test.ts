import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { renderedSection, withSection } from "../../src/cli/permissions-doc.js";
import { projectPath } from "../../src/paths.js";

describe("the README's permission section", () => {
  it("is exactly what the policy table renders (run npm run docs:permissions after changing the policy)", () => {
    const readme = fs.readFileSync(projectPath("README.md"), "utf8");
    const section = renderedSection();
    expect(withSection(readme, section)).not.toBeNull();
    expect(readme).toContain(section);
  });
});
