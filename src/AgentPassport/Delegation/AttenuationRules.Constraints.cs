namespace AgentPassport;

/// <content>The subset lattice of argument constraints (spec v1.1 §13 "Attenuation").</content>
internal static partial class AttenuationRules
{
    /// <summary>
    /// The first argument the parent capability constrains that the child leaves unconstrained or constrains more widely,
    /// with the parent's constraint name; null when the child's constraints are a subset (it may constrain more arguments).
    /// </summary>
    public static (string Argument, string Constraint)? WidenedArgument(IReadOnlyDictionary<string, PassportConstraint> child, IReadOnlyDictionary<string, PassportConstraint> parent)
    {
        foreach (var (argument, parentConstraint) in parent)
        {
            if (!child.TryGetValue(argument, out var childConstraint) || !ConstraintNarrows(childConstraint, parentConstraint))
            {
                return (argument, parentConstraint.Name);
            }
        }

        return null;
    }

    /// <summary>
    /// Gets a value indicating whether every argument <paramref name="child"/> accepts <paramref name="parent"/> accepts,
    /// by the pairs the spec lists: eq ⊆ eq (same value); eq/in ⊆ in (every value in the parent's set); eq/in ⊆ range,
    /// prefix, length or regex (every value satisfies it); range ⊆ range (within); prefix ⊆ prefix (extends it);
    /// length ⊆ length (no longer); regex ⊆ regex only when identical. Any other pair is a widening.
    /// </summary>
    public static bool ConstraintNarrows(PassportConstraint child, PassportConstraint parent)
    {
        if (child.Kind is PassportConstraintKind.Equal or PassportConstraintKind.OneOf && parent.Kind != PassportConstraintKind.Equal)
        {
            foreach (var value in child.Values)
            {
                if (!parent.Accepts(value))
                {
                    return false;
                }
            }

            return true;
        }

        return (child.Kind, parent.Kind) switch
        {
            (PassportConstraintKind.Equal, PassportConstraintKind.Equal) => child.Values[0].Equals(parent.Values[0]),
            (PassportConstraintKind.Range, PassportConstraintKind.Range) =>
                (parent.Min is null || child.Min >= parent.Min) && (parent.Max is null || child.Max <= parent.Max),
            (PassportConstraintKind.Prefix, PassportConstraintKind.Prefix) => child.Prefix!.StartsWith(parent.Prefix!, StringComparison.Ordinal),
            (PassportConstraintKind.MaxLength, PassportConstraintKind.MaxLength) => child.MaxLength <= parent.MaxLength,
            (PassportConstraintKind.Regex, PassportConstraintKind.Regex) => string.Equals(child.Pattern, parent.Pattern, StringComparison.Ordinal),
            _ => false,
        };
    }
}
