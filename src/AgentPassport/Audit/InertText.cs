using System.Globalization;
using System.Text;

namespace AgentPassport;

/// <summary>
/// Makes caller-chosen text (tool names, agent ids, task purposes, error details) safe to print on one line: control
/// characters (newlines included), line and paragraph separators, format characters (bidirectional overrides, zero-width
/// characters) and lone surrogates become <c>\uXXXX</c>, and a backslash becomes <c>\\</c> so an escape in the input
/// cannot pass for one made here. Rendered trees and denial texts then cannot be made to show a line that did not happen.
/// </summary>
internal static class InertText
{
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return string.Empty;
        }

        int first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                sb.Append(@"\\");
            }
            else if (char.IsSurrogatePair(text, i))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (IsUnsafe(c))
            {
                sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The text escaped and in double quotes, with its own quotes escaped.</summary>
    public static string Quote(string? text) => "\"" + Escape(text).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether the text holds a character <see cref="Escape"/> would escape (a backslash aside).</summary>
    public static bool HasControlCharacters(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i))
            {
                i++;
            }
            else if (IsUnsafe(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' || (IsUnsafe(c) && !char.IsSurrogatePair(text, i)))
            {
                return i;
            }

            if (char.IsHighSurrogate(c) && char.IsSurrogatePair(text, i))
            {
                i++;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
