/**
 * A region and everything below it, as an index range: paths under "县/镇" sort
 * between "县/镇/" and "县/镇0" ('0' follows '/'), so SQLite walks an index on the
 * path instead of scanning with LIKE (and a '%' or '_' in a name means nothing).
 */
import { Prisma } from "../generated/prisma/client.js";

const below = (path: string) => ({ gte: `${path}/`, lt: `${path}0` });

/** Rows carrying a `regionPath` column (hazards, reports, shifts, warning targets). */
export const inRegion = (regionPath: string) => ({ OR: [{ regionPath }, { regionPath: below(regionPath) }] });

/** Region rows themselves (their `path`). */
export const regionWithin = (path: string) => ({ OR: [{ path }, { path: below(path) }] });

/** The same range for raw SQL on a `regionPath` column. */
export const inRegionSql = (regionPath: string) => Prisma.sql`(regionPath = ${regionPath} OR (regionPath >= ${`${regionPath}/`} AND regionPath < ${`${regionPath}0`}))`;
