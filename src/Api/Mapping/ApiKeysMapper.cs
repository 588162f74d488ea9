using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.ApiKeys;
using PartnerAccounts.Application.ApiKeys.CreateApiKey;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 API key contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class ApiKeysMapper
{
    public static partial ApiKeyResponse ToResponse(this ApiKeyDto key);

    public static partial CreateApiKeyCommand ToCommand(this ApiKeyRequest request, Guid accountId);

    public static CreatedApiKeyResponse ToResponse(this CreatedApiKeyDto created) =>
        new(created.Key.Id, created.Key.Name, created.Key.Prefix, created.Key.CreatedAt, created.Key.LastUsedAt, created.Secret);
}
