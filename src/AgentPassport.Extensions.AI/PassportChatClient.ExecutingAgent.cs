using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <content>The agent a request runs for, and the refusal of a client shared between agents with different Passports.</content>
public sealed partial class PassportChatClient
{
    // The agent a request runs for: its own Passport, else this client's. Inside an agent run (the Agent Framework
    // adapter), that agent must be the same one: a chat client built for Alice must not decide Bob's calls as Alice's.
    private PassportContext? ExecutingContext(bool carriesPassport, PassportContext? requested)
    {
        var context = carriesPassport ? requested : Context;
        var running = PassportExecution.Current;
        if (running is null)
        {
            return context;
        }

        if (!carriesPassport && context is null)
        {
            return running;
        }

        if (!PassportToolGuards.IsSameAgent(context, running))
        {
            throw new InvalidOperationException(
                "This PassportChatClient acts for another agent than the agent that is running it (one chat client shared between agents " +
                "with different Passports). Give each agent its own chat client built with its own Passport, or build the shared one " +
                "without a Passport (UseAgentPassport(authorizer, context: null)) so the running agent's Passport applies. No tool was run.");
        }

        return context;
    }
}
