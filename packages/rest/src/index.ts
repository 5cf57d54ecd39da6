export { restFacade, type RestOptions } from "./plugin.ts";
export { buildOpenApiDocument } from "./openapi.ts";
export { clientErrorHandler, envelope, errorHandler, rewriteErrorBody, type ErrorEnvelope } from "./envelope.ts";
export { isMp3File, mp3FrameLength } from "./mp3.ts";
export { safeSongName, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./upload-songs.ts";
export { openApiRoutes, registerOpenApiRoutes, type OpenApiRoute, type OpenApiRoutesOptions } from "./routes.ts";
