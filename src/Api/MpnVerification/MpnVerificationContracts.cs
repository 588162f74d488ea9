using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerAccounts.Api.MpnVerification;

/// <summary>
/// Partner Center's "verify a partner MPN ID" answer, field for field, so integrations written for it work unchanged. It says
/// nothing about the partner but the legal company name.
/// </summary>
public sealed record MpnProfileResponse(
    [property: Required] string PartnerName,
    [property: Required] string MpnId,
    [property: Required] string ProfileType,
    [property: Required] MpnProfileLinks Links,
    [property: Required] MpnProfileAttributes Attributes)
{
    public const string MpnProfileType = "MpnProfile";

    public static MpnProfileResponse For(string mpnId, string partnerName) => new(
        partnerName,
        mpnId,
        MpnProfileType,
        new MpnProfileLinks(new MpnProfileLink("/v1/profiles/mpn?mpnId=" + mpnId, "GET", MpnProfileLink.NoHeaders)),
        MpnProfileAttributes.Instance);
}

public sealed record MpnProfileLinks([property: Required] MpnProfileLink Self);

public sealed record MpnProfileLink([property: Required] string Uri, [property: Required] string Method, [property: Required] IReadOnlyList<MpnProfileLinkHeader> Headers)
{
    public static readonly IReadOnlyList<MpnProfileLinkHeader> NoHeaders = [];
}

public sealed record MpnProfileLinkHeader([property: Required] string Key, [property: Required] string Value);

public sealed record MpnProfileAttributes([property: Required] string ObjectType)
{
    public static readonly MpnProfileAttributes Instance = new(MpnProfileResponse.MpnProfileType);
}

/// <summary>A bulk verification: 1 to 1,000 MPN IDs, each verified and counted as if sent alone.</summary>
public sealed record MpnVerificationsRequest
{
    /// <summary>The IDs to verify (1 to 1,000 strings of at most 64 characters); the answer lists them in this order, duplicates included.</summary>
    [Required, MinLength(1), MaxLength(Application.MpnVerification.MpnVerificationErrors.MaxBulkIds)]
    [Contracts.ItemLimits(Application.MpnVerification.MpnVerificationErrors.MaxBulkIdLength)]
    public IReadOnlyList<string?>? MpnIds { get; init; }
}

/// <summary>The outcome for each ID, in request order.</summary>
public sealed record MpnVerificationsResponse([property: Required] IReadOnlyList<MpnVerificationItemResponse> Items);

/// <summary>One ID: <c>verified</c> (with the partner's legal name), <c>notFound</c> (no partner holds it) or <c>invalid</c> (not 1 to 10 digits).</summary>
public sealed record MpnVerificationItemResponse(
    [property: Required] string MpnId,
    [property: Required] MpnVerificationItemStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PartnerName);

public enum MpnVerificationItemStatus
{
    Verified,
    NotFound,
    Invalid,
}

/// <summary>Serialization metadata for the verification answer, generated at build time (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MpnProfileResponse))]
internal sealed partial class MpnVerificationJsonContext : JsonSerializerContext;
