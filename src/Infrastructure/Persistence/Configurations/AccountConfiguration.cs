using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("Accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.MpnId).HasMaxLength(FieldLimits.MpnId).IsRequired();
        builder.HasIndex(a => a.MpnId).IsUnique();
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.StatusReason).HasMaxLength(FieldLimits.StatusReason);
        builder.Property(a => a.VerificationStatus).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.VerificationReason).HasMaxLength(FieldLimits.VerificationReason);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.GuardVersion).IsConcurrencyToken();
    }
}
