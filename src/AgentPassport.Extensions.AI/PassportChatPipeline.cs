using System.Reflection;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>Lists the layers of a chat client pipeline, outermost first, to find function-invocation loops in it.</summary>
internal static class PassportChatPipeline
{
    // DelegatingChatClient.InnerClient is protected: reading it is how a pipeline's layers are known.
    private static readonly PropertyInfo InnerClientProperty =
        typeof(DelegatingChatClient).GetProperty("InnerClient", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException("DelegatingChatClient.InnerClient was not found.");

    public static IEnumerable<IChatClient> Layers(IChatClient client)
    {
        var seen = new HashSet<IChatClient>(ReferenceEqualityComparer.Instance);
        for (IChatClient? layer = client; layer is not null && seen.Add(layer); layer = layer is DelegatingChatClient ? InnerClientProperty.GetValue(layer) as IChatClient : null)
        {
            yield return layer;
        }
    }
}
