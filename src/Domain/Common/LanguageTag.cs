using System.Text.RegularExpressions;

namespace PartnerAccounts.Domain.Common;

/// <summary>
/// A BCP 47 language tag in its common form ("en", "en-US", "zh-Hans-CN"): a 2- or 3-letter primary language subtag,
/// then any number of 1- to 8-character alphanumeric subtags separated by hyphens. Used for a profile's language and culture.
/// </summary>
public static partial class LanguageTag
{
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= FieldLimits.Language && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
