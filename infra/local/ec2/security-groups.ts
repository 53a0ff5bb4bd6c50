// Security groups, created on first reference (README, "The local emulator"): a group exists once a
// VPC server's request names it (CreateServer/UpdateServer SecurityGroupIds), once ModifyVpcEndpoint
// adds it, or when a test seeds it (Ec2Backend.addSecurityGroup); any well-formed `sg-` id is
// accepted there, in the VPC of the endpoint that names it. Each VPC also has its `default` group,
// given to an endpoint whose server named none. DescribeSecurityGroups of an id never referenced is
// InvalidGroup.NotFound, as AWS answers a group that does not exist.
import { createHash } from 'node:crypto';
import { checkGroupId, ec2Error } from './ec2-errors.ts';

export interface SecurityGroupRecord {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
}

/** The VPC's default group: a stable id derived from the VPC id, so restarts agree. */
export function defaultGroupId(vpcId: string): string {
  return `sg-${createHash('sha256').update(`default:${vpcId}`).digest('hex').slice(0, 17)}`;
}

export class SecurityGroups {
  private groups = new Map<string, SecurityGroupRecord>();

  /** The group, created in `vpcId` when first named; a group of another VPC is InvalidParameterValue. */
  reference(groupId: string, vpcId: string): SecurityGroupRecord {
    checkGroupId(groupId);
    const known = this.groups.get(groupId);
    if (known !== undefined) {
      if (known.VpcId !== vpcId)
        throw ec2Error('InvalidParameterValue', `Security group ${groupId} belongs to ${known.VpcId}, not to ${vpcId}`);
      return known;
    }
    return groupId === defaultGroupId(vpcId) ? this.defaultOf(vpcId) : this.adopt(groupId, vpcId);
  }

  /**
   * A group a Transfer request named (its model already checked the id): created in `vpcId` when
   * new, kept as it is otherwise. Never throws, since it runs inside a Transfer call.
   */
  adopt(groupId: string, vpcId: string): SecurityGroupRecord {
    const known = this.groups.get(groupId);
    if (known !== undefined) return known;
    const record: SecurityGroupRecord = {
      GroupId: groupId,
      GroupName: `emulator-${groupId}`,
      Description: 'Created by the local emulator on first reference',
      VpcId: vpcId,
    };
    this.groups.set(groupId, record);
    return record;
  }

  /** The VPC's default group (created with it). */
  defaultOf(vpcId: string): SecurityGroupRecord {
    const id = defaultGroupId(vpcId);
    const known = this.groups.get(id);
    if (known !== undefined) return known;
    const record: SecurityGroupRecord = { GroupId: id, GroupName: 'default', Description: 'default VPC security group', VpcId: vpcId };
    this.groups.set(id, record);
    return record;
  }

  /** Seeding for tests: a group with a chosen name and description. */
  add(record: SecurityGroupRecord): void {
    checkGroupId(record.GroupId);
    this.groups.set(record.GroupId, { ...record });
  }

  find(groupId: string): SecurityGroupRecord | undefined {
    return this.groups.get(groupId);
  }

  /** Known groups, or InvalidGroup.NotFound naming the first unknown one. */
  get(groupId: string): SecurityGroupRecord {
    checkGroupId(groupId);
    const group = this.groups.get(groupId);
    if (group === undefined) throw ec2Error('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    return group;
  }

  list(): SecurityGroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.GroupId.localeCompare(b.GroupId));
  }

  clear(): void {
    this.groups.clear();
  }

  snapshot(): SecurityGroupRecord[] {
    return this.list().map((g) => ({ ...g }));
  }

  restore(records: SecurityGroupRecord[]): void {
    this.clear();
    for (const record of records) this.groups.set(record.GroupId, { ...record });
  }
}
