/** What other features may ask of the duty roster (its repo is its own). */
export { idsOf } from "./repo.js";
