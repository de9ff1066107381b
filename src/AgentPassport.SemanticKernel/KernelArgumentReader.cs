using System.Text.Json;
using AgentPassport.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Reads a kernel function call's <see cref="KernelArguments"/> the way the function body will receive them: a string
/// (what a model or a prompt template often sends) for a number, integer or boolean parameter is read as that type
/// (<see cref="KernelParameterMetadata.ParameterType"/>, else the parameter's JSON schema), culture-invariant; a string
/// that does not parse stays a string, so a numeric constraint on it denies.
/// </summary>
internal static class KernelArgumentReader
{
    // The key under which KernelPinnedAIFunction hands Semantic Kernel the kernel to run on: plumbing, not an argument.
    private const string KernelArgumentKey = "AIFunctionArguments_Kernel";

    public static PassportToolArguments Read(KernelFunction function, Microsoft.Extensions.AI.AIFunctionArguments? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return PassportToolArguments.Empty;
        }

        // KernelArguments match names ignoring case, as Semantic Kernel binds them: each is read under its parameter's name.
        var parameters = function.Metadata.Parameters;
        var named = arguments
            .Where(a => !(a.Value is Kernel && string.Equals(a.Key, KernelArgumentKey, StringComparison.Ordinal)))
            .Select(a => new KeyValuePair<string, object?>(ParameterOf(parameters, a.Key)?.Name ?? a.Key, a.Value));
        return PassportToolArgumentReader.Read(named, name => KindOf(ParameterOf(parameters, name)));
    }

    private static KernelParameterMetadata? ParameterOf(IReadOnlyList<KernelParameterMetadata> parameters, string name)
    {
        foreach (var parameter in parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter;
            }
        }

        return null;
    }

    private static PassportArgumentKind KindOf(KernelParameterMetadata? parameter)
    {
        if (parameter is null)
        {
            return PassportArgumentKind.Other;
        }

        if (parameter.ParameterType is { } type)
        {
            return PassportToolArgumentReader.KindOf(type);
        }

        return parameter.Schema?.RootElement is { ValueKind: JsonValueKind.Object } schema
            ? PassportToolArgumentReader.KindOf(Wrap(parameter.Name, schema), parameter.Name)
            : PassportArgumentKind.Other;
    }

    // A parameter's own schema, read as the one property of a function's parameters schema.
    private static JsonElement Wrap(string name, JsonElement schema)
    {
        var properties = new Dictionary<string, JsonElement> { [name] = schema };
        return JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["properties"] = properties });
    }
}
