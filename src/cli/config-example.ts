/**
 * `npm run config:example`: prints the whole effective configuration (every default,
 * or a file's values over them with `-- file.json`) as JSON, to copy and edit.
 */
import { loadBotConfig } from "../config/bot-config.js";

process.stdout.write(`${JSON.stringify(loadBotConfig(process.argv[2]), null, 2)}\n`);
