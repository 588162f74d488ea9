namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>The account's MPN ID (partner global account ID) and partner name (its legal company name); read-only.</summary>
public sealed record AccountMpnProfileResponse(string MpnId, string PartnerName);
