using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>The member names seen in one JSON object, to refuse duplicates. Small objects use a list; large ones a hash set.</summary>
internal struct MemberNameSet
{
    private const int ListLimit = 12;
    private List<string>? _list;
    private HashSet<string>? _set;

    /// <summary>Records the property name the reader is on.</summary>
    /// <returns>False when the name was already present.</returns>
    public bool Add(ref Utf8JsonReader reader)
    {
        string name = reader.GetString()!;
        if (_set is not null)
        {
            return _set.Add(name);
        }

        _list ??= new List<string>(8);
        foreach (var existing in _list)
        {
            if (string.Equals(existing, name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        _list.Add(name);
        if (_list.Count > ListLimit)
        {
            _set = new HashSet<string>(_list, StringComparer.Ordinal);
            _list = null;
        }

        return true;
    }
}
