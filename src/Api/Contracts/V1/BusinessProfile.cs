using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Api.Contracts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>The marketing profile customers see. Every field is optional; a missing list is stored as an empty one.</summary>
public sealed record BusinessProfileRequest
{
    [MaxLength(FieldLimits.Description)]
    public string? Description { get; init; }

    /// <summary>An absolute http or https URL.</summary>
    [MaxLength(FieldLimits.Url), Url]
    public string? Website { get; init; }

    /// <summary>At most 50 items of at most 100 characters each, none empty.</summary>
    [MaxLength(FieldLimits.ListItems), ItemLimits(FieldLimits.ListItem, MinLength = 1)]
    public IReadOnlyList<string?>? Industries { get; init; }

    /// <summary>At most 50 items of at most 100 characters each, none empty.</summary>
    [MaxLength(FieldLimits.ListItems), ItemLimits(FieldLimits.ListItem, MinLength = 1)]
    public IReadOnlyList<string?>? Products { get; init; }

    /// <summary>At most 50 items of at most 100 characters each, none empty.</summary>
    [MaxLength(FieldLimits.ListItems), ItemLimits(FieldLimits.ListItem, MinLength = 1)]
    public IReadOnlyList<string?>? Services { get; init; }

    /// <summary>An absolute http or https URL of the logo image.</summary>
    [MaxLength(FieldLimits.Url), Url]
    public string? LogoUrl { get; init; }
}

public sealed record BusinessProfileResponse(
    string? Description,
    string? Website,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> Products,
    IReadOnlyList<string> Services,
    string? LogoUrl);
