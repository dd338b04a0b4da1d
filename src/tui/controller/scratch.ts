import { openScratchServer } from '../../db/scratch.js';
import type { ScratchRehearsal } from '../../engine/dry-run.js';
import { openProject } from '../../engine/project.js';
import type { ControllerContext } from './context.js';

/** Where the TUI's drift check and dry run make their scratch databases, and how they open the project there. */
export function scratchAccess(ctx: ControllerContext): ScratchRehearsal {
  const { project, settings } = ctx;
  return {
    server: () => openScratchServer(project.target, settings.scratchUrl),
    open: (t) => openProject(project.listing.dir, t, { format: project.format }),
  };
}
