export { SURFACE_SOURCE, SurfaceParser, surfaceOf } from "./export-surface.js";
export { importUses, type LineRange, resolveModule } from "./import-uses.js";
export { ProgressReporter, type ProgressReporterOptions } from "./progress-reporter.js";
export { type ProgressSnapshot, progressSnapshot, surfaceChanges } from "./progress-snapshot.js";
