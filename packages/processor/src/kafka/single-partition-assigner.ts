import { loadKafkajs } from '@tributary/kafka';
import type { PartitionAssigner } from '@tributary/kafka';

/**
 * kafkajs has no manual `assign` (tulios/kafkajs#373). A consumer in a throwaway group with this assigner gets
 * exactly the given partitions, e.g. the changelog partitions of newly assigned tasks.
 */
export function fixedPartitionAssigner(
  assignment: Readonly<Record<string, readonly number[]>>,
): PartitionAssigner {
  const { AssignerProtocol } = loadKafkajs();
  return () => ({
    name: 'TributaryFixedAssigner',
    version: 1,
    async assign({ members }) {
      return members.map((member, index) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment:
            index === 0 ? Object.fromEntries(Object.entries(assignment).map(([t, ps]) => [t, [...ps]])) : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: 'TributaryFixedAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}
