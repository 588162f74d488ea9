using System.Text.RegularExpressions;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Learn;

/// <summary>
/// A person's Microsoft Learn association: the share link of their Learn transcript. It belongs to the person, identified by
/// normalized email like a user, not to any one account; every account the person is a member of shows whether (and since when)
/// they are linked. Unlinking keeps the row (without the link), so the version, the ETag, never goes back to a value a client saw.
/// </summary>
public sealed class LearnProfile
{
    private LearnProfile()
    {
        NormalizedEmail = string.Empty;
    }

    public string NormalizedEmail { get; private set; }

    public string? TranscriptUrl { get; private set; }

    public DateTime? LinkedAt { get; private set; }

    /// <summary>0 for a person who never linked (no row); every link and unlink moves it.</summary>
    public int Version { get; private set; }

    public bool IsLinked => TranscriptUrl is not null;

    public static LearnProfile Create(string normalizedEmail) => new() { NormalizedEmail = normalizedEmail };

    /// <summary>Links (or re-links) a transcript; <paramref name="transcriptUrl"/> must be a valid share link (see <see cref="LearnTranscriptUrl"/>).</summary>
    public Result<Success> Link(string transcriptUrl, DateTime now)
    {
        if (!LearnTranscriptUrl.TryNormalize(transcriptUrl, out var normalized))
        {
            return Error.Validation("validation_failed", "The transcript URL is not a Microsoft Learn transcript share link.", new Dictionary<string, string[]>
            {
                ["transcriptUrl"] = [LearnTranscriptUrl.Requirement],
            });
        }

        if (normalized == TranscriptUrl)
        {
            return Success.Value;
        }

        TranscriptUrl = normalized;
        LinkedAt = now;
        Version++;
        return Success.Value;
    }

    public void Unlink()
    {
        if (!IsLinked)
        {
            return;
        }

        TranscriptUrl = null;
        LinkedAt = null;
        Version++;
    }
}

/// <summary>
/// The one shape a Learn transcript share link has: <c>https://learn.microsoft.com/&lt;locale&gt;/users/&lt;name&gt;/transcript/&lt;id&gt;</c>.
/// https only, exactly that host (no port, user info, query or fragment), a locale like <c>en-us</c>, a user name and an id of
/// plain characters. The stored form has the scheme, host and locale in lower case.
/// </summary>
public static partial class LearnTranscriptUrl
{
    public const string Requirement =
        "Must be a Microsoft Learn transcript share link: https://learn.microsoft.com/<locale>/users/<name>/transcript/<id>.";

    public static bool TryNormalize(string? url, out string normalized)
    {
        normalized = string.Empty;
        if (url is null || url.Length > FieldLimits.LearnTranscriptUrl)
        {
            return false;
        }

        var match = Shape().Match(url);
        if (!match.Success)
        {
            return false;
        }

        normalized = $"https://learn.microsoft.com/{match.Groups["locale"].Value.ToLowerInvariant()}/users/{match.Groups["name"].Value}/transcript/{match.Groups["id"].Value}";
        return true;
    }

    // Locale: a language (2-3 letters) and one or two subtags (en-us, zh-cn, sr-latn-rs). Name: starts with a letter or digit
    // (so never "." or ".."). Lengths are those of FieldLimits.LearnUserName (100) and FieldLimits.LearnTranscriptId (64).
    [GeneratedRegex(
        @"\Ahttps://learn\.microsoft\.com/(?<locale>[a-z]{2,3}(?:-[a-z0-9]{2,4}){1,2})/users/(?<name>[a-z0-9][a-z0-9._-]{0,99})/transcript/(?<id>[a-z0-9][a-z0-9-]{0,63})\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Shape();
}
