using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.AccountMpn;


/// <summary>The account's MPN profile: its partner global account ID and the partner name (the legal company name).</summary>
public sealed record AccountMpnProfileDto(string MpnId, string PartnerName);
