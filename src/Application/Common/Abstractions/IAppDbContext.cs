using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Application.Common.Abstractions;

/// <summary>The unit of work of a use case: one SaveChanges is one transaction, audit records included.</summary>
public interface IAppDbContext
{
    DbSet<Account> Accounts { get; }

    DbSet<LegalBusinessProfile> LegalBusinessProfiles { get; }

    DbSet<OrganizationProfile> OrganizationProfiles { get; }

    DbSet<SupportProfile> SupportProfiles { get; }

    DbSet<BillingProfile> BillingProfiles { get; }

    DbSet<BusinessProfile> BusinessProfiles { get; }

    DbSet<Location> Locations { get; }

    DbSet<TaxExemption> TaxExemptions { get; }

    DbSet<MpnRegistration> MpnRegistrations { get; }

    DbSet<User> Users { get; }

    DbSet<AccountMember> AccountMembers { get; }

    DbSet<RoleAssignment> RoleAssignments { get; }

    DbSet<AuditRecord> AuditRecords { get; }

    DbSet<Enrollment> Enrollments { get; }

    DbSet<ApiKey> ApiKeys { get; }

    DbSet<Webhook> Webhooks { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    DbSet<AccountEvent> Events { get; }

    DbSet<Domain.Learn.LearnProfile> LearnProfiles { get; }

    /// <summary>Saves; a concurrency-token conflict becomes 412 <c>etag_mismatch</c> and a unique-key race 409, never an exception.</summary>
    Task<Domain.Common.Result<Domain.Common.Success>> SaveAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked entity, so a use case can retry from scratch.</summary>
    void Reset();
}
