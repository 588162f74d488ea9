using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.TaxExemptions.AddTaxExemption;

/// <summary>Adds a tax exemption certificate; one country + certificate id pair is held once per account.</summary>
public sealed record AddTaxExemptionCommand(Guid AccountId, string? Country, string? CertificateId, DateOnly? ExpiresOn)
    : ICommand<Result<TaxExemptionDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.TaxExemptionsManage;
}

public sealed class AddTaxExemptionCommandValidator : AbstractValidator<AddTaxExemptionCommand>
{
    public AddTaxExemptionCommandValidator(IClock clock)
    {
        RuleFor(c => c.Country).NotEmpty().Must(CountryCode.IsValid).WithMessage("'Country' must be an ISO 3166-1 alpha-2 code in upper case, such as US or DE.");
        RuleFor(c => c.CertificateId).NotEmpty().MaximumLength(FieldLimits.CertificateId);
        RuleFor(c => c.ExpiresOn).NotNull();
        RuleFor(c => c.ExpiresOn).Must(d => d > DateOnly.FromDateTime(clock.UtcNow)).When(c => c.ExpiresOn is not null)
            .WithMessage("'Expires On' must be a date in the future (UTC).");
    }
}

public sealed class AddTaxExemptionHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<AddTaxExemptionCommand, Result<TaxExemptionDto>>
{
    public async ValueTask<Result<TaxExemptionDto>> Handle(AddTaxExemptionCommand command, CancellationToken cancellationToken)
    {
        var country = command.Country!;
        var certificateId = command.CertificateId!.Trim();
        if (await db.TaxExemptions.AnyAsync(t => t.AccountId == command.AccountId && t.Country == country && t.CertificateId == certificateId, cancellationToken))
        {
            return TaxExemptionErrors.Exists;
        }

        var exemption = TaxExemption.Create(Ids.NewVersion7(), command.AccountId, country, certificateId, command.ExpiresOn!.Value, clock.UtcNow);
        db.TaxExemptions.Add(exemption);
        var dto = TaxExemptionDto.From(exemption);
        audit.Record(command.AccountId, "added", "tax-exemptions", exemption.Id.ToString(), null, dto);

        // The unique index settles two identical adds racing past the check above.
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? dto : saved.Error!.Code == "unique_conflict" ? TaxExemptionErrors.Exists : saved.Error!;
    }
}
