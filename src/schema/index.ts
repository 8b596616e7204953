/** zod schemas: the one source of the API's types and of every validation rule in this package. */
export * from "./api-error";
export * from "./application";
export * from "./business-unit";
export * from "./connection";
export * from "./connector";
export * from "./frequency";
export * from "./ids";
export * from "./job";
export * from "./list";
export * from "./params";
export * from "./project";
export * from "./secrets";
export * from "./system";
export * from "./systems";
export * from "./validation";
