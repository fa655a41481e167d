export { type LiveGoalView, type LiveRoomDeps, startLiveRoom } from "./live-room.js";
export { type BaseContains, OverlapDetector } from "./overlap-detector.js";
export { overlapDirectives } from "./overlap-notes.js";
export { PeerRouter, type PeerRouterOptions, type Worker } from "./peer-router.js";
