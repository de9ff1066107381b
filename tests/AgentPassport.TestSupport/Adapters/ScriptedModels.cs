using AgentPassport.Testing;

namespace AgentPassport.TestSupport.Adapters;

/// <summary>The scripted model (AgentPassport.Testing) as the adapter tests use it.</summary>
public static class ScriptedModels
{
    /// <summary>The argument every travel tool of the tests takes.</summary>
    public const string Item = "SFO-JFK";

    /// <summary>Every call the model makes carries <c>item = "SFO-JFK"</c>, the argument of the tests' travel tools.</summary>
    public static ScriptedChatClient WithTravelItem(this ScriptedChatClient model)
    {
        model.Arguments["item"] = Item;
        return model;
    }
}
