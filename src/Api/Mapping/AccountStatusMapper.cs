using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Accounts;
using PartnerAccounts.Application.Accounts.ChangeAccountStatus;
using PartnerAccounts.Application.Accounts.CloseAccount;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 account status contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class AccountStatusMapper
{
    public static partial AccountStatusResponse ToResponse(this AccountStatusDto status);

    [MapperIgnoreSource(nameof(AccountStatusChangeRequest.ConfirmLegalName))]
    public static partial ChangeAccountStatusCommand ToOperatorCommand(this AccountStatusChangeRequest request, Guid accountId);

    [MapperIgnoreSource(nameof(AccountStatusChangeRequest.Reason))]
    public static partial CloseAccountCommand ToOwnerCommand(this AccountStatusChangeRequest request, Guid accountId);
}
