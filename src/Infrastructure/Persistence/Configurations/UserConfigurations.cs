using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Email).HasMaxLength(FieldLimits.Email).IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(FieldLimits.Email).IsRequired();
        // One credential per person per issuing account (docs/adr/0006-identity-model.md); external sign-ins find every row by email.
        builder.HasIndex(u => new { u.NormalizedEmail, u.IssuedByAccountId }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(u => u.IssuedByAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(u => u.PasswordHash).HasMaxLength(512);
    }
}

public sealed class AccountMemberConfiguration : IEntityTypeConfiguration<AccountMember>
{
    public void Configure(EntityTypeBuilder<AccountMember> builder)
    {
        builder.ToTable("AccountMembers");
        builder.HasKey(m => new { m.AccountId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.DisplayName).HasMaxLength(FieldLimits.PersonName);
        builder.Property(m => m.Version).IsConcurrencyToken();
    }
}

public sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> builder)
    {
        builder.ToTable("RoleAssignments");
        builder.HasKey(r => new { r.AccountId, r.UserId, r.RoleId });
        builder.Property(r => r.RoleId).HasMaxLength(64);
        builder.HasIndex(r => new { r.AccountId, r.RoleId });
        builder.HasOne<AccountMember>().WithMany().HasForeignKey(r => new { r.AccountId, r.UserId }).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("AuditRecords");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.HasIndex(a => new { a.AccountId, a.Id });
        builder.HasIndex(a => a.OccurredAt); // the retention job's purge
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Actor).HasMaxLength(FieldLimits.Email).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Resource).HasMaxLength(128).IsRequired();
        builder.Property(a => a.ResourceId).HasMaxLength(64);
        builder.Property(a => a.CorrelationId).HasMaxLength(128);
    }
}
