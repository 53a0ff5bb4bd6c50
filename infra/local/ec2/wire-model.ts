// The EC2 model extract with the query protocol's wire names (scripts/gen-model-constraints.ts
// keeps `locationName`/`queryName` where the model has them): the request side names a member
// queryName, else locationName capitalised, else the member name; the response side names it
// locationName, else the member name, and list items `item`.
import type { ModelData, ShapeDef } from '../../../functions/shared/model-validate.ts';
import { serviceModels } from '../service-models.ts';

export interface WireShape extends ShapeDef {
  locationNames?: Record<string, string>;
  queryNames?: Record<string, string>;
  memberLocationName?: string;
}

export interface WireModel extends Omit<ModelData, 'shapes' | 'metadata'> {
  metadata: { apiVersion: string; xmlNamespace?: string };
  shapes: Record<string, WireShape>;
}

export const ec2Model = serviceModels.ec2 as unknown as WireModel;

export function wireShape(name: string): WireShape {
  const def = Object.hasOwn(ec2Model.shapes, name) ? ec2Model.shapes[name] : undefined;
  if (def === undefined) throw new Error(`unknown EC2 shape ${name}`);
  return def;
}

/** The name a request member has in the form body (`VpcEndpointIds` → `VpcEndpointId`). */
export function queryName(shape: WireShape, member: string): string {
  const query = shape.queryNames?.[member];
  if (query !== undefined) return query;
  const location = shape.locationNames?.[member];
  if (location !== undefined) return location.charAt(0).toUpperCase() + location.slice(1);
  return member;
}

/** The element name a response member has in the XML (`VpcEndpoints` → `vpcEndpointSet`). */
export function xmlName(shape: WireShape, member: string): string {
  return shape.locationNames?.[member] ?? member;
}

/** EC2 answers in the namespace of its API version, with the trailing slash the service writes. */
export function xmlNamespace(): string {
  const ns = ec2Model.metadata.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${ec2Model.metadata.apiVersion}`;
  return ns.endsWith('/') ? ns : `${ns}/`;
}
