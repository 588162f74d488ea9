using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>Links a Microsoft Learn transcript: <c>https://learn.microsoft.com/&lt;locale&gt;/users/&lt;name&gt;/transcript/&lt;id&gt;</c>.</summary>
public sealed record LearnProfileRequest
{
    [Required, MaxLength(FieldLimits.LearnTranscriptUrl)]
    public string? TranscriptUrl { get; init; }
}

/// <summary>The caller's Learn association; <c>linked: false</c> (with null link and time) when there is none.</summary>
public sealed record LearnProfileResponse(bool Linked, string? TranscriptUrl, DateTime? LinkedAt);

/// <summary>What an account's admins see of a member's Learn association: whether and since when, not the link.</summary>
public sealed record LearnProfileSummary(bool Linked, DateTime? LinkedAt);
