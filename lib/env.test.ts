import { describe, expect, it } from "vitest";
import { loadConfig } from "./env.ts";

describe("configuration", () => {
  it("has safe defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, NODE_ENV: "development", BODY_LIMIT_BYTES: 100_000, DEMO_DATA: true, EXPOSE_SQL_COUNT: true });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("turns demo data and SQL counts off in production", () => {
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ DEMO_DATA: false, EXPOSE_SQL_COUNT: false, isProduction: true });
    expect(loadConfig({ NODE_ENV: "production", EXPOSE_SQL_COUNT: "true" }).EXPOSE_SQL_COUNT).toBe(false);
  });

  it("turns introspection off in production and refuses demo data there", () => {
    expect(loadConfig({}).INTROSPECTION).toBe(true);
    expect(loadConfig({ NODE_ENV: "production" }).INTROSPECTION).toBe(false);
    expect(() => loadConfig({ NODE_ENV: "production", DEMO_DATA: "true" })).toThrow(/DEMO_DATA/);
  });

  it("reads lists and limits", () => {
    const config = loadConfig({ CORS_ORIGINS: "https://piata.ai, https://m.piata.ai", MAX_COST: "100" });
    expect(config.CORS_ORIGINS).toEqual(["https://piata.ai", "https://m.piata.ai"]);
    expect(config.MAX_COST).toBe(100);
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
  });

  it("reads the gateway's heap growth (0: V8's own) and refuses what V8 would not take", () => {
    expect(loadConfig({}).GC_HEAP_GROWTH_PERCENT).toBe(50);
    expect(loadConfig({ GC_HEAP_GROWTH_PERCENT: "0" }).GC_HEAP_GROWTH_PERCENT).toBe(0);
    expect(() => loadConfig({ GC_HEAP_GROWTH_PERCENT: "-5" })).toThrow(/GC_HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ GC_HEAP_GROWTH_PERCENT: "1.5" })).toThrow(/GC_HEAP_GROWTH_PERCENT/);
  });

  it("reads an agent worker's nice (10 unless set, 0-19)", () => {
    expect(loadConfig({}).AGENT_WORKER_NICE).toBe(10);
    expect(loadConfig({ AGENT_WORKER_NICE: "0" }).AGENT_WORKER_NICE).toBe(0);
    for (const bad of ["-1", "20", "5.5", "low"]) expect(() => loadConfig({ AGENT_WORKER_NICE: bad }), bad).toThrow(/AGENT_WORKER_NICE/);
  });

  it("runs one gateway process unless told, and more only with a database server and Redis to share", () => {
    expect(loadConfig({}).GATEWAY_PROCESSES).toBe(1);
    const shared = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/piata", REDIS_URL: "redis://127.0.0.1:6379" };
    expect(loadConfig({ ...shared, GATEWAY_PROCESSES: "2" }).GATEWAY_PROCESSES).toBe(2);
    expect(() => loadConfig({ REDIS_URL: shared.REDIS_URL, GATEWAY_PROCESSES: "2" })).toThrow(/GATEWAY_PROCESSES: above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: shared.DATABASE_URL, GATEWAY_PROCESSES: "2" })).toThrow(/GATEWAY_PROCESSES: above 1 needs REDIS_URL/);
    for (const bad of ["0", "1.5", "65", "all"]) expect(() => loadConfig({ ...shared, GATEWAY_PROCESSES: bad }), bad).toThrow(/GATEWAY_PROCESSES/);
  });

  it("reads agents' paces by name (0: unpaced) and refuses what is not agent=rate", () => {
    expect(loadConfig({}).AGENT_MAX_RUNS_PER_SECOND).toEqual({});
    expect(loadConfig({ AGENT_MAX_RUNS_PER_SECOND: "moderator=250, taita=0.5,categorizer=0" }).AGENT_MAX_RUNS_PER_SECOND).toEqual({ moderator: 250, taita: 0.5, categorizer: 0 });
    for (const bad of ["moderator", "moderator=", "moderator=-1", "moderator=fast", "Moderator=5", "moderator=5=6"]) {
      expect(() => loadConfig({ AGENT_MAX_RUNS_PER_SECOND: bad }), bad).toThrow(/AGENT_MAX_RUNS_PER_SECOND/);
    }
  });

  it("parses subgraph URLs", () => {
    expect(loadConfig({ SUBGRAPH_URLS: "users=http://127.0.0.1:4001/graphql, listings=http://127.0.0.1:4002/graphql" }).SUBGRAPH_URLS).toEqual({
      users: "http://127.0.0.1:4001/graphql",
      listings: "http://127.0.0.1:4002/graphql",
    });
  });

  it("reads on/off switches as the README writes them (DEMO_DATA=off), and true/false, 1/0, yes/no", () => {
    expect(loadConfig({ DEMO_DATA: "off" }).DEMO_DATA).toBe(false);
    expect(loadConfig({ DEMO_DATA: "on", INTROSPECTION: "off" })).toMatchObject({ DEMO_DATA: true, INTROSPECTION: false });
    for (const [raw, value] of [["true", true], ["1", true], ["yes", true], ["false", false], ["0", false], ["no", false]] as const) {
      expect(loadConfig({ DEMO_DATA: raw }).DEMO_DATA, raw).toBe(value);
    }
    expect(() => loadConfig({ DEMO_DATA: "maybe" })).toThrow(/DEMO_DATA/);
  });

  it("refuses invalid values with every problem named", () => {
    expect(() => loadConfig({ PORT: "http", JWT_SECRET: "short", SUBGRAPH_URLS: "users" })).toThrow(/PORT[\s\S]*JWT_SECRET[\s\S]*SUBGRAPH_URLS/);
  });
});
