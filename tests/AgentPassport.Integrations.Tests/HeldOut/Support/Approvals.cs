using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.HeldOut.Support;

/// <summary>Drives a run that may stop for tool approval: every request is approved, at most a few rounds.</summary>
public static class Approvals
{
    public static async Task<ChatResponse> RunApprovingAsync(IChatClient client, ChatOptions? options, string prompt = "go")
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, prompt) };
        ChatResponse response = null!;
        for (var round = 0; round < 4; round++)
        {
            response = await client.GetResponseAsync(messages, options);
            messages.AddRange(response.Messages);
            var requests = Requests(response.Messages);
            if (requests.Count == 0)
            {
                break;
            }

            messages.Add(new ChatMessage(ChatRole.User, requests.Select(r => (AIContent)r.CreateResponse(true)).ToList()));
        }

        return response;
    }

    public static async Task<AgentResponse> RunApprovingAsync(AIAgent agent, AgentRunOptions? options = null, string prompt = "go")
    {
        var session = await agent.CreateSessionAsync();
        var response = await agent.RunAsync(prompt, session, options);
        for (var round = 0; round < 3; round++)
        {
            var requests = Requests(response.Messages);
            if (requests.Count == 0)
            {
                break;
            }

            response = await agent.RunAsync(new ChatMessage(ChatRole.User, requests.Select(r => (AIContent)r.CreateResponse(true)).ToList()), session, options);
        }

        return response;
    }

    public static IReadOnlyList<ToolApprovalRequestContent> Requests(IEnumerable<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
}
