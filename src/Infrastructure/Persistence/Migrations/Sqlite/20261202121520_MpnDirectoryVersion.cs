using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerAccounts.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>The MPN directory's version and its triggers (<see cref="MpnVerification.MpnDirectoryVersion"/>): SQL only, no model change.</summary>
    public partial class MpnDirectoryVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in PartnerAccounts.Infrastructure.MpnVerification.MpnDirectoryVersion.CreateStatements())
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in PartnerAccounts.Infrastructure.MpnVerification.MpnDirectoryVersion.DropStatements())
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
