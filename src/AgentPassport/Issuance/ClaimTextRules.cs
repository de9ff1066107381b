using System.Text;

namespace AgentPassport;

/// <summary>
/// What the issuer accepts as free text in <c>agent_id</c>, <c>agent_model</c> and <c>task_purpose</c>: no control,
/// format or line-separator characters (they could forge lines in rendered audit trees and logs) and no more UTF-8 bytes
/// than <see cref="PassportLimits"/> allows. Refusals are <see cref="PassportErrorKind.IssuanceRefused"/>.
/// </summary>
internal static class ClaimTextRules
{
    public static void Check(string? value, string claim, int maxBytes)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxBytes || Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            throw AgentPassportException.Create(PassportErrorKind.IssuanceRefused, $"{claim} is longer than {maxBytes} UTF-8 bytes");
        }

        if (InertText.HasControlCharacters(value))
        {
            throw AgentPassportException.Create(PassportErrorKind.IssuanceRefused, $"{claim} holds a control, format or line-separator character");
        }
    }

    public static void CheckAll(string? agentId, string? agentModel, string? taskPurpose)
    {
        Check(agentId, "agent_id", PassportLimits.MaxAgentIdBytes);
        Check(agentModel, "agent_model", PassportLimits.MaxAgentModelBytes);
        Check(taskPurpose, "task_purpose", PassportLimits.MaxTaskPurposeBytes);
    }
}
