namespace AgentPassport;

/// <summary>The kinds of argument constraint (spec v1.1 §13).</summary>
public enum PassportConstraintKind
{
    /// <summary><c>{"eq": v}</c>: the argument equals v (a string, number or boolean).</summary>
    Equal = 1,

    /// <summary><c>{"in": [v, …]}</c> (1..64 values): the argument equals one of them.</summary>
    OneOf = 2,

    /// <summary><c>{"min": n}</c>, <c>{"max": n}</c> or both (inclusive): the argument is a number within, compared as an exact decimal.</summary>
    Range = 3,

    /// <summary><c>{"prefix": "s"}</c>: the argument is a string starting with s (ordinal, no Unicode normalization).</summary>
    Prefix = 4,

    /// <summary><c>{"maxLength": n}</c>: the argument is a string of at most n UTF-16 code units.</summary>
    MaxLength = 5,

    /// <summary><c>{"regex": "…"}</c> (at most 256 characters): the argument is a string the pattern fully matches (linear-time engine, anchored).</summary>
    Regex = 6,
}
