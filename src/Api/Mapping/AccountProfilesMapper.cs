using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.AccountMpn;
using PartnerAccounts.Application.Profiles.Business;
using PartnerAccounts.Application.Profiles.Business.ReplaceBusinessProfile;
using PartnerAccounts.Application.Profiles.Organization;
using PartnerAccounts.Application.Profiles.Organization.ReplaceOrganizationProfile;
using PartnerAccounts.Application.Profiles.Support;
using PartnerAccounts.Application.Profiles.Support.ReplaceSupportProfile;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 contracts of the organization, support, business and MPN profiles to and from the application's messages.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class AccountProfilesMapper
{
    public static partial OrganizationProfileResponse ToResponse(this OrganizationProfileDto profile);

    public static partial ReplaceOrganizationProfileCommand ToCommand(this OrganizationProfileRequest request, Guid accountId, IfMatch ifMatch);

    public static partial SupportProfileResponse ToResponse(this SupportProfileDto profile);

    public static partial ReplaceSupportProfileCommand ToCommand(this SupportProfileRequest request, Guid accountId, IfMatch ifMatch);

    public static partial BusinessProfileResponse ToResponse(this BusinessProfileDto profile);

    public static partial ReplaceBusinessProfileCommand ToCommand(this BusinessProfileRequest request, Guid accountId, IfMatch ifMatch);

    public static partial AccountMpnProfileResponse ToResponse(this AccountMpnProfileDto profile);
}
