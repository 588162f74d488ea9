using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerAccounts.Api.Contracts.V1;

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

/// <summary>Serialization metadata for the verification answer, generated at build time (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MpnProfileResponse))]
internal sealed partial class MpnVerificationJsonContext : JsonSerializerContext;
