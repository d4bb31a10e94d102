/**
 * What other features may ask of the organisation: people, their regions and
 * roles. Only this file is imported from outside src/features/org (its repo is its own).
 */
export { findRegion, holdersOf, peopleAt, personById, type PersonProfile } from "./repo.js";
