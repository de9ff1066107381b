// Distributed: three processes on loopback. This one (the orchestrator) starts the other two from the same built app —
// `issuer` (AgentPassport.IssuerService: JWKS, token exchange, revocation) and `tools` (an MCP server enforcing
// holder-bound Passports) — runs Alice → Bob → Carol against them over HTTP, revokes Bob in the middle, stops both,
// and rebuilds the delegation tree from their audit logs.
using DistributedSample;

return args.Length > 0 && args[0] == IssuerRole.Name ? await IssuerRole.RunAsync(args[1..])
    : args.Length > 0 && args[0] == ToolServerRole.Name ? await ToolServerRole.RunAsync(args[1..])
    : await OrchestratorRole.RunAsync();
