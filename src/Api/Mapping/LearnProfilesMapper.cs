using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.LearnProfiles;
using PartnerAccounts.Application.LearnProfiles.LinkLearnProfile;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 Learn association contracts to and from the application's commands and read models.</summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class LearnProfilesMapper
{
    public static partial LearnProfileResponse ToResponse(this LearnProfileDto profile);

    public static partial LearnProfileSummary ToContract(LearnProfileSummaryDto summary);

    public static partial LinkLearnProfileCommand ToCommand(this LearnProfileRequest request, IfMatch ifMatch);
}
