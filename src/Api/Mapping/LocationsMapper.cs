using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Locations;
using PartnerAccounts.Application.Locations.CreateLocation;
using PartnerAccounts.Application.Locations.ReplaceLocation;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 location contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class LocationsMapper
{
    public static partial LocationResponse ToResponse(this LocationDto location);

    public static partial CreateLocationCommand ToCreateCommand(this LocationRequest request, Guid accountId);

    public static partial ReplaceLocationCommand ToReplaceCommand(this LocationRequest request, Guid accountId, Guid locationId, IfMatch ifMatch);
}
