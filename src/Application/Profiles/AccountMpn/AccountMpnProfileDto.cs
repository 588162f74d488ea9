
namespace PartnerAccounts.Application.Profiles.AccountMpn;


/// <summary>The account's MPN profile: its partner global account ID and the partner name (the legal company name).</summary>
public sealed record AccountMpnProfileDto(string MpnId, string PartnerName);
