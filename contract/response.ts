// Response calls (preview, execute, outbox, audit): declared by the response domain (core/response).
export const responseCalls = {}
