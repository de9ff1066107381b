using System.Reflection;
using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>
/// Public methods that return a Task or ValueTask end in <c>Async</c>, and a <see cref="CancellationToken"/>, when a
/// method takes one, is its last parameter: the .NET conventions every caller already reads code by.
/// </summary>
public sealed class AsyncMethodTests
{
    private static readonly AllowList NotSuffixed = new("Task-returning public methods end in Async", new Dictionary<string, string>
    {
    });

    private static readonly AllowList TokenNotLast = new("A CancellationToken is the last parameter", new Dictionary<string, string>
    {
    });

    [Fact]
    public void Task_returning_public_methods_end_in_Async()
    {
        Assert.Contains(PublicMethods(), m => m.DeclaringType == typeof(PassportVerifier) && ReturnsTask(m));
        NotSuffixed.Check(PublicMethods().Where(m => ReturnsTask(m) && !m.Name.EndsWith("Async", StringComparison.Ordinal)).Select(PublicSurface.NameOf));
    }

    [Fact]
    public void A_CancellationToken_is_the_last_parameter()
    {
        Assert.Contains(PublicMethods(), m => m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)));
        TokenNotLast.Check(PublicMethods().Where(m => !TokenIsLast(m)).Select(PublicSurface.NameOf));
    }

    [Fact]
    public void The_checks_see_a_missing_suffix_and_a_misplaced_token()
    {
        var sample = typeof(Sample);
        Assert.True(ReturnsTask(sample.GetMethod(nameof(Sample.Run))!));
        Assert.True(ReturnsTask(sample.GetMethod(nameof(Sample.CountAsync))!));
        Assert.True(ReturnsTask(sample.GetMethod(nameof(Sample.PollAsync))!));
        Assert.False(ReturnsTask(sample.GetMethod(nameof(Sample.Sync))!));
        Assert.False(TokenIsLast(sample.GetMethod(nameof(Sample.CountAsync))!));
        Assert.True(TokenIsLast(sample.GetMethod(nameof(Sample.PollAsync))!));
        Assert.True(TokenIsLast(sample.GetMethod(nameof(Sample.Run))!));
    }

    private static IEnumerable<MethodInfo> PublicMethods() =>
        PublicSurface.Types(SourceProjects.Assemblies).SelectMany(PublicSurface.Methods);

    private static bool ReturnsTask(MethodInfo method)
    {
        var type = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericTypeDefinition() : method.ReturnType;
        return type == typeof(Task) || type == typeof(Task<>) || type == typeof(ValueTask) || type == typeof(ValueTask<>);
    }

    private static bool TokenIsLast(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var tokens = parameters.Select((p, i) => (p, i)).Where(x => x.p.ParameterType == typeof(CancellationToken)).Select(x => x.i).ToList();
        return tokens.Count == 0 || (tokens.Count == 1 && tokens[0] == parameters.Length - 1);
    }

    public static class Sample
    {
        public static Task Run() => Task.CompletedTask;

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The misplaced token the check must catch.")]
        public static ValueTask<int> CountAsync(CancellationToken cancellationToken, int start) => ValueTask.FromResult(start);

        public static Task<int> PollAsync(int start, CancellationToken cancellationToken) => Task.FromResult(start);

        public static int Sync() => 0;
    }
}
