/** What the store keeps verbatim (answers, render parameters): plain JSON values. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
