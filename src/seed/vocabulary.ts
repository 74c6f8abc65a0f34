import { CreditScheme, EnvironmentalElement, PenaltyCategory, PermitClass } from '../domain/codes';
import { District, Jurisdiction } from '../domain/jurisdictions';

/**
 * Word lists and profiles for the demo data generator (src/seed/generator.ts). Everything here is
 * invented for demonstration: company names, people, addresses and document numbers are made up.
 * Legal citations and standards are the ones commonly applied to each violation, written from
 * general knowledge of the laws; they make the data read plausibly and are not legal advice.
 *
 * Templates use `{name}` placeholders that the generator fills.
 */

export type { Weighted } from './rng';
import type { Weighted } from './rng';

// ---------------------------------------------------------------------------------------------
// Violations (penalty decisions)

export type ViolationKey =
  | 'waterExceed'
  | 'waterBypass'
  | 'airExceed'
  | 'vocFacility'
  | 'hazStorage'
  | 'selfMonitoring'
  | 'noise'
  | 'unapprovedConstruction'
  | 'unapprovedAcceptance'
  | 'dust';

export interface ViolationProfile {
  /** 违法行为类型 (CF_WFXW). */
  type: string;
  /** 违法事实 (CF_SY) template. */
  facts: string;
  /** 处罚依据 (CF_YJ). */
  legalBasis: string;
  /** Statutory fine range in yuan; `investment` means 1–5 % of the project's investment. */
  fine: readonly [number, number] | 'investment';
  /** Extra penalty categories and the chance each is added to FINE. */
  extra: Weighted<PenaltyCategory>;
  /** Serious violations get the longer publicity period and may be transferred to the police. */
  serious: boolean;
}

export const VIOLATIONS: Record<ViolationKey, ViolationProfile> = {
  waterExceed: {
    type: '超标排放水污染物',
    facts: '{date}，我局执法人员对该单位废水总排口采样监测，{waterPollutant}浓度为{value}mg/L，超过{waterStandard}规定的排放限值{times}倍。',
    legalBasis: '违反了《中华人民共和国水污染防治法》第十条的规定，依据《中华人民共和国水污染防治法》第八十三条第二项',
    fine: [100000, 1000000],
    extra: [[PenaltyCategory.PRODUCTION_RESTRICTION, 0.3]],
    serious: true,
  },
  waterBypass: {
    type: '通过私设暗管等逃避监管的方式排放水污染物',
    facts: '{date}，我局执法人员现场检查发现该单位在厂区{location}私设暗管，将未经处理的{wastewater}直接排入{river}。',
    legalBasis: '违反了《中华人民共和国水污染防治法》第三十九条的规定，依据《中华人民共和国水污染防治法》第八十三条第三项',
    fine: [200000, 1000000],
    extra: [[PenaltyCategory.PRODUCTION_SUSPENSION, 0.5]],
    serious: true,
  },
  airExceed: {
    type: '超标排放大气污染物',
    facts: '{date}，我局委托监测机构对该单位{stack}进行监测，{airPollutant}排放浓度为{value}mg/m³，超过{airStandard}规定的排放限值{times}倍。',
    legalBasis: '违反了《中华人民共和国大气污染防治法》第十八条的规定，依据《中华人民共和国大气污染防治法》第九十九条第二项',
    fine: [100000, 1000000],
    extra: [[PenaltyCategory.PRODUCTION_RESTRICTION, 0.25]],
    serious: true,
  },
  vocFacility: {
    type: '未按规定运行VOCs治理设施',
    facts: '{date}，我局执法人员现场检查发现该单位{vocProcess}正在生产，配套的{vocFacility}处于停运状态，含挥发性有机物废气未经处理直接排放。',
    legalBasis: '违反了《中华人民共和国大气污染防治法》第四十五条的规定，依据《中华人民共和国大气污染防治法》第一百零八条第一项',
    fine: [20000, 200000],
    extra: [[PenaltyCategory.WARNING, 0.1]],
    serious: false,
  },
  hazStorage: {
    type: '危险废物未规范贮存',
    facts: '{date}，我局执法人员现场检查发现该单位将约{qty}吨{waste}堆放于厂区{location}，未按照国家有关规定贮存，且未设置危险废物识别标志。',
    legalBasis: '违反了《中华人民共和国固体废物污染环境防治法》第七十七条、第七十九条的规定，依据《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款',
    fine: [100000, 1000000],
    extra: [],
    serious: false,
  },
  selfMonitoring: {
    type: '未按照排污许可证规定开展自行监测',
    facts: '{date}，我局执法人员检查发现该单位{year}年度未按照排污许可证规定的频次对{waterPollutant}等指标开展自行监测，且未保存原始监测记录。',
    legalBasis: '违反了《排污许可管理条例》第十九条的规定，依据《排污许可管理条例》第三十六条第五项',
    fine: [20000, 200000],
    extra: [[PenaltyCategory.WARNING, 0.15]],
    serious: false,
  },
  noise: {
    type: '超过噪声排放标准排放工业噪声',
    facts: '{date}夜间，我局委托监测机构对该单位厂界噪声进行监测，{side}厂界噪声为{db}dB(A)，超过《工业企业厂界环境噪声排放标准》（GB 12348-2008）规定的排放限值。',
    legalBasis: '依据《中华人民共和国噪声污染防治法》第七十五条',
    fine: [20000, 200000],
    extra: [[PenaltyCategory.WARNING, 0.2]],
    serious: false,
  },
  unapprovedConstruction: {
    type: '建设项目环境影响评价文件未经批准擅自开工建设',
    facts: '{date}，我局执法人员检查发现该单位“{project}”环境影响评价文件未经审批，已擅自开工建设，项目总投资约{investment}万元。',
    legalBasis: '违反了《中华人民共和国环境影响评价法》第二十五条的规定，依据《中华人民共和国环境影响评价法》第三十一条第一款',
    fine: 'investment',
    extra: [],
    serious: true,
  },
  unapprovedAcceptance: {
    type: '配套环境保护设施未经验收即投入生产',
    facts: '{date}，我局执法人员检查发现该单位“{project}”需要配套建设的环境保护设施未经验收，主体工程已投入生产。',
    legalBasis: '违反了《建设项目环境保护管理条例》第十九条的规定，依据《建设项目环境保护管理条例》第二十三条第一款',
    fine: [200000, 1000000],
    extra: [],
    serious: false,
  },
  dust: {
    type: '物料堆场未采取有效措施防治扬尘污染',
    facts: '{date}，我局执法人员检查发现该单位厂区{location}露天堆放易产生扬尘的物料，未采取密闭或者覆盖措施。',
    legalBasis: '违反了《中华人民共和国大气污染防治法》第七十二条第一款的规定，依据《中华人民共和国大气污染防治法》第一百一十七条第一项',
    fine: [10000, 100000],
    extra: [[PenaltyCategory.WARNING, 0.2]],
    serious: false,
  },
};

/** Names of the HJ 212 pollutant codes used in permits and violation facts. */
export const POLLUTANT_NAMES: Record<string, string> = {
  w01018: '化学需氧量',
  w21003: '氨氮',
  w21011: '总磷',
  w21001: '总氮',
  w20122: '总铜',
  w20121: '总镍',
  w20116: '总铬',
  w20117: '六价铬',
  a34013: '颗粒物',
  a21026: '二氧化硫',
  a21002: '氮氧化物',
  a24088: '非甲烷总烃',
  a25002: '苯',
  a25003: '甲苯',
  a25005: '二甲苯',
  a21024: '氯化氢',
  a21028: '硫化氢',
};

/**
 * Indicative discharge limits (mg/L for water, mg/m³ for air) used only to keep a generated measured
 * value consistent with the generated exceedance factor; the facts never print the limit.
 */
export const POLLUTANT_LIMITS: Record<string, number> = {
  w01018: 80, w21003: 10, w21011: 0.5, w21001: 15, w20122: 0.5, w20121: 0.1, w20116: 0.5, w20117: 0.1,
  a34013: 20, a21026: 200, a21002: 200, a24088: 60, a25002: 1, a25003: 15, a25005: 20, a21024: 30, a21028: 5,
};

const WATER_GENERAL = '《污水综合排放标准》（GB 8978-1996）';
const AIR_GENERAL = '《大气污染物综合排放标准》（GB 16297-1996）';

// ---------------------------------------------------------------------------------------------
// Industries (GB/T 4754-2017)

export interface IndustryProfile {
  code: string;
  name: string;
  /** Words that end a company name before 有限公司 (…印染有限公司). */
  words: readonly string[];
  /** 0 light, 1 moderate, 2 heavy polluter: drives permit class, EIA document type and record counts. */
  heavy: 0 | 1 | 2;
  /** HJ 212 codes a permit of this industry lists, most important first. */
  pollutants: readonly string[];
  violations: Weighted<ViolationKey>;
  complaintElements: Weighted<EnvironmentalElement>;
  /** EIA project name templates; {n:lo-hi} is a capacity figure drawn from that range. */
  projects: readonly string[];
  wastes: readonly string[];
  vocProcesses: readonly string[];
  wastewater: string;
  waterStandard: string;
  airStandard: string;
  /** Towns (short names) where the industry clusters, if any. */
  towns?: readonly string[];
}

const TEXTILE_WATER = '《纺织染整工业水污染物排放标准》（GB 4287-2012）';

export const INDUSTRIES: Record<string, IndustryProfile> = {
  C1713: {
    code: 'C1713', name: '棉印染精加工', words: ['印染', '染整', '印染整理', '纺织印染'], heavy: 2,
    pollutants: ['w01018', 'w21003', 'w21011', 'w21001', 'a34013', 'a24088'],
    violations: [['waterExceed', 4], ['waterBypass', 1], ['vocFacility', 2], ['hazStorage', 2], ['selfMonitoring', 2]],
    complaintElements: [[EnvironmentalElement.AIR, 4], [EnvironmentalElement.SURFACE_WATER, 4], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:1000-8000}万米棉布印染生产线项目', '印染废水处理设施提标改造项目', '新增{n:2-12}台定型机技术改造项目', '年产{n:500-5000}万米家纺面料染整项目'],
    wastes: ['印染污泥', '废染料包装桶', '废矿物油'], vocProcesses: ['定型机', '印花工序'],
    wastewater: '印染废水', waterStandard: TEXTILE_WATER, airStandard: AIR_GENERAL,
    towns: ['盛泽', '平望', '震泽'],
  },
  C1752: {
    code: 'C1752', name: '化纤织物染整精加工', words: ['染整', '印染', '化纤染整', '纺织科技'], heavy: 2,
    pollutants: ['w01018', 'w21003', 'w21011', 'w21001', 'a34013', 'a24088'],
    violations: [['waterExceed', 4], ['waterBypass', 1], ['vocFacility', 3], ['hazStorage', 2], ['selfMonitoring', 2]],
    complaintElements: [[EnvironmentalElement.AIR, 5], [EnvironmentalElement.SURFACE_WATER, 4], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:1000-10000}万米化纤面料染整项目', '染色废水深度处理及回用项目', '定型机废气治理改造项目', '年产{n:500-6000}万米涤纶仿真丝面料后整理项目'],
    wastes: ['印染污泥', '废染料包装桶', '定型机废油'], vocProcesses: ['定型机', '涂层工序'],
    wastewater: '染色废水', waterStandard: TEXTILE_WATER, airStandard: AIR_GENERAL,
    towns: ['盛泽', '平望', '黎里'],
  },
  C1751: {
    code: 'C1751', name: '化纤织造加工', words: ['纺织', '织造', '化纤', '纺织品'], heavy: 1,
    pollutants: ['w01018', 'w21003', 'w21011'],
    violations: [['noise', 3], ['waterExceed', 2], ['unapprovedConstruction', 2], ['selfMonitoring', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 6], [EnvironmentalElement.SURFACE_WATER, 2], [EnvironmentalElement.GENERAL, 1]],
    projects: ['年产{n:500-5000}万米喷水织机化纤织物项目', '新增{n:20-300}台喷气织机技术改造项目', '喷水织机废水处理回用项目'],
    wastes: ['废矿物油', '废机油桶'], vocProcesses: ['浆纱工序'],
    wastewater: '喷水织机废水', waterStandard: TEXTILE_WATER, airStandard: AIR_GENERAL,
    towns: ['盛泽', '平望', '桃源', '震泽'],
  },
  C3831: {
    code: 'C3831', name: '电线、电缆制造', words: ['电缆', '线缆', '电工材料'], heavy: 1,
    pollutants: ['a24088', 'a34013'],
    violations: [['vocFacility', 2], ['noise', 1], ['hazStorage', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.NOISE, 3]],
    projects: ['年产{n:500-20000}公里特种电缆项目', '年产{n:10-300}万公里通信线缆扩建项目'],
    wastes: ['废矿物油', '废包装桶'], vocProcesses: ['挤塑工序', '绝缘层涂覆工序'],
    wastewater: '冷却废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
    towns: ['七都'],
  },
  C3982: {
    code: 'C3982', name: '电子电路制造', words: ['电子', '电子科技', '电路科技'], heavy: 2,
    pollutants: ['w01018', 'w20122', 'w20121', 'w21003', 'a24088', 'a21024'],
    violations: [['waterExceed', 3], ['hazStorage', 3], ['selfMonitoring', 1], ['vocFacility', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.SURFACE_WATER, 2], [EnvironmentalElement.NOISE, 1]],
    projects: ['年产{n:20-300}万平方米印制电路板项目', '含铜废水处理设施改造项目', '年产{n:10-120}万平方米高密度互连板扩建项目'],
    wastes: ['含铜污泥', '废蚀刻液', '废活性炭'], vocProcesses: ['阻焊印刷工序', '丝印工序'],
    wastewater: '含铜废水', waterStandard: '《电子工业水污染物排放标准》（GB 39731-2020）', airStandard: AIR_GENERAL,
  },
  C3971: {
    code: 'C3971', name: '电子真空器件制造', words: ['电子', '电子器件', '真空电子'], heavy: 1,
    pollutants: ['w01018', 'w21003', 'a24088'],
    violations: [['hazStorage', 2], ['selfMonitoring', 1], ['unapprovedAcceptance', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 1], [EnvironmentalElement.NOISE, 1], [EnvironmentalElement.GENERAL, 1]],
    projects: ['年产{n:10-500}万只真空电子器件项目', '真空器件生产线技术改造项目'],
    wastes: ['废有机溶剂', '废活性炭'], vocProcesses: ['清洗工序'],
    wastewater: '清洗废水', waterStandard: '《电子工业水污染物排放标准》（GB 39731-2020）', airStandard: AIR_GENERAL,
  },
  C3976: {
    code: 'C3976', name: '光电子器件制造', words: ['光电', '光电科技', '光电子'], heavy: 1,
    pollutants: ['w01018', 'w21003', 'a24088'],
    violations: [['hazStorage', 2], ['vocFacility', 1], ['unapprovedAcceptance', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 1], [EnvironmentalElement.NOISE, 1]],
    projects: ['年产{n:100-5000}万只光电子器件项目', 'LED封装生产线扩建项目'],
    wastes: ['废有机溶剂', '废活性炭'], vocProcesses: ['点胶固化工序', '清洗工序'],
    wastewater: '清洗废水', waterStandard: '《电子工业水污染物排放标准》（GB 39731-2020）', airStandard: AIR_GENERAL,
  },
  C2614: {
    code: 'C2614', name: '有机化学原料制造', words: ['化工', '化学', '精细化工'], heavy: 2,
    pollutants: ['w01018', 'w21003', 'a24088', 'a25002', 'a25003', 'a21026', 'a21002'],
    violations: [['vocFacility', 3], ['airExceed', 2], ['hazStorage', 3], ['unapprovedConstruction', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 6], [EnvironmentalElement.SURFACE_WATER, 2], [EnvironmentalElement.SOIL, 1]],
    projects: ['年产{n:500-20000}吨有机化工中间体项目', '储罐区VOCs治理改造项目', '年产{n:200-10000}吨精细化学品技改项目'],
    wastes: ['精馏残渣', '废有机溶剂', '废活性炭'], vocProcesses: ['反应釜投料工序', '储罐区'],
    wastewater: '工艺废水', waterStandard: WATER_GENERAL, airStandard: '《石油化学工业污染物排放标准》（GB 31571-2015）',
  },
  C2641: {
    code: 'C2641', name: '涂料制造', words: ['涂料', '化工涂料', '新材料'], heavy: 2,
    pollutants: ['a24088', 'a25003', 'a25005', 'a34013', 'w01018'],
    violations: [['vocFacility', 4], ['hazStorage', 2], ['airExceed', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 6], [EnvironmentalElement.NOISE, 1]],
    projects: ['年产{n:1000-30000}吨水性涂料项目', '年产{n:1000-20000}吨工业涂料技改项目', '调漆车间废气收集处理改造项目'],
    wastes: ['漆渣', '废包装桶', '废活性炭'], vocProcesses: ['调漆及灌装工序', '分散研磨工序'],
    wastewater: '设备清洗废水', waterStandard: WATER_GENERAL, airStandard: '《涂料、油墨及胶粘剂工业大气污染物排放标准》（GB 37824-2019）',
  },
  C1391: {
    code: 'C1391', name: '淀粉及淀粉制品制造', words: ['食品', '淀粉', '粉业'], heavy: 1,
    pollutants: ['w01018', 'w21003', 'w21011', 'a34013'],
    violations: [['waterExceed', 2], ['selfMonitoring', 1], ['noise', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.SURFACE_WATER, 2], [EnvironmentalElement.NOISE, 1]],
    projects: ['年产{n:2000-50000}吨淀粉制品项目', '淀粉废水处理站改造项目'],
    wastes: ['废机油'], vocProcesses: ['烘干工序'],
    wastewater: '淀粉废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  C1431: {
    code: 'C1431', name: '米、面制品制造', words: ['食品', '粮油食品', '米业', '食品科技'], heavy: 0,
    pollutants: ['w01018', 'w21003'],
    violations: [['noise', 2], ['waterExceed', 1], ['selfMonitoring', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 2], [EnvironmentalElement.AIR, 1], [EnvironmentalElement.SURFACE_WATER, 1]],
    projects: ['年产{n:500-20000}吨米面制品项目', '年产{n:1000-30000}吨速冻米面食品扩建项目'],
    wastes: ['废机油'], vocProcesses: ['蒸煮工序'],
    wastewater: '清洗废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  G5990: {
    code: 'G5990', name: '其他仓储业', words: ['物流', '仓储', '供应链管理', '仓储服务'], heavy: 0,
    pollutants: ['a34013', 'w01018'],
    violations: [['dust', 2], ['noise', 2], ['hazStorage', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 4], [EnvironmentalElement.AIR, 1]],
    projects: ['{n:5000-120000}平方米仓储物流中心项目', '智能仓储配送中心建设项目'],
    wastes: ['废矿物油', '废铅蓄电池'], vocProcesses: ['车辆维修区'],
    wastewater: '洗车废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  G5941: {
    code: 'G5941', name: '油气仓储', words: ['石油储运', '能源', '油品仓储'], heavy: 1,
    pollutants: ['a24088', 'a25002'],
    violations: [['vocFacility', 2], ['hazStorage', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 3], [EnvironmentalElement.GROUNDWATER, 1]],
    projects: ['{n:2000-50000}立方米成品油储罐项目', '油气回收装置改造项目'],
    wastes: ['含油污泥', '废矿物油'], vocProcesses: ['装卸车作业区', '储罐呼吸口'],
    wastewater: '含油废水', waterStandard: WATER_GENERAL, airStandard: '《储油库大气污染物排放标准》（GB 20950-2020）',
  },
  G6020: {
    code: 'G6020', name: '快递服务', words: ['快递', '速递', '物流'], heavy: 0,
    pollutants: ['w01018', 'w21003'],
    violations: [['noise', 3], ['dust', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 5], [EnvironmentalElement.SOLID_WASTE, 1]],
    projects: ['快件分拨中心项目', '年处理{n:500-20000}万件快递转运中心项目'],
    wastes: ['废矿物油', '废铅蓄电池'], vocProcesses: ['车辆维修区'],
    wastewater: '生活污水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
    towns: ['华新', '徐泾', '白鹤'],
  },
  C3360: {
    code: 'C3360', name: '金属表面处理及热处理加工', words: ['金属表面处理', '表面处理', '热处理', '金属制品'], heavy: 2,
    pollutants: ['w01018', 'w20116', 'w20117', 'w20121', 'w20122', 'w21003', 'a21024', 'a34013'],
    violations: [['waterExceed', 3], ['hazStorage', 3], ['waterBypass', 1], ['unapprovedAcceptance', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.SURFACE_WATER, 3], [EnvironmentalElement.SOIL, 1]],
    projects: ['年表面处理{n:5-200}万平方米金属件项目', '电镀废水分质处理改造项目', '热处理生产线技术改造项目'],
    wastes: ['电镀污泥', '废酸', '废槽液'], vocProcesses: ['喷涂工序'],
    wastewater: '含重金属废水', waterStandard: '《电镀污染物排放标准》（GB 21900-2008）', airStandard: '《电镀污染物排放标准》（GB 21900-2008）',
  },
  C2929: {
    code: 'C2929', name: '塑料零件及其他塑料制品制造', words: ['塑料制品', '塑胶', '塑业'], heavy: 1,
    pollutants: ['a24088', 'a34013'],
    violations: [['vocFacility', 3], ['noise', 1], ['unapprovedConstruction', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 4], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:200-10000}吨塑料制品项目', '年产{n:50-3000}万件注塑件扩建项目'],
    wastes: ['废活性炭', '废液压油'], vocProcesses: ['注塑工序', '挤出造粒工序'],
    wastewater: '冷却废水', waterStandard: WATER_GENERAL, airStandard: '《合成树脂工业污染物排放标准》（GB 31572-2015）',
  },
  C2110: {
    code: 'C2110', name: '木质家具制造', words: ['家具', '木业', '家居'], heavy: 1,
    pollutants: ['a24088', 'a25003', 'a25005', 'a34013'],
    violations: [['vocFacility', 3], ['airExceed', 1], ['unapprovedConstruction', 1], ['hazStorage', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 5], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:2000-50000}套实木家具项目', '喷漆房废气治理改造项目', '年产{n:5000-100000}件定制家具扩建项目'],
    wastes: ['漆渣', '废油漆桶', '废活性炭'], vocProcesses: ['喷漆工序', '调漆工序'],
    wastewater: '水帘柜废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
    towns: ['天凝', '干窑', '陶庄'],
  },
  C2021: {
    code: 'C2021', name: '胶合板制造', words: ['木业', '胶合板', '板业'], heavy: 1,
    pollutants: ['a34013', 'a24088', 'a21026', 'a21002'],
    violations: [['airExceed', 2], ['vocFacility', 1], ['noise', 1], ['dust', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 4], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:2-30}万立方米胶合板项目', '生物质锅炉超低排放改造项目'],
    wastes: ['废胶渣', '废矿物油'], vocProcesses: ['涂胶热压工序'],
    wastewater: '涂胶设备清洗废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
    towns: ['姚庄', '天凝', '干窑'],
  },
  C3670: {
    code: 'C3670', name: '汽车零部件及配件制造', words: ['汽车零部件', '汽配', '机械'], heavy: 1,
    pollutants: ['a24088', 'a25003', 'a25005', 'a34013', 'w01018'],
    violations: [['vocFacility', 2], ['hazStorage', 2], ['unapprovedAcceptance', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.NOISE, 2]],
    projects: ['年产{n:10-500}万套汽车零部件项目', '涂装线VOCs治理改造项目'],
    wastes: ['废切削液', '漆渣', '废矿物油'], vocProcesses: ['涂装工序', '清洗工序'],
    wastewater: '清洗废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  C2231: {
    code: 'C2231', name: '纸和纸板容器制造', words: ['包装', '纸业', '纸品包装'], heavy: 0,
    pollutants: ['a24088', 'a34013'],
    violations: [['noise', 2], ['vocFacility', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 2], [EnvironmentalElement.AIR, 1]],
    projects: ['年产{n:500-8000}万平方米纸箱项目', '瓦楞纸箱生产线扩建项目'],
    wastes: ['废油墨桶', '废机油'], vocProcesses: ['水墨印刷工序'],
    wastewater: '印版清洗废水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  C2319: {
    code: 'C2319', name: '包装装潢及其他印刷', words: ['印刷', '彩印', '包装印刷'], heavy: 1,
    pollutants: ['a24088', 'a25003'],
    violations: [['vocFacility', 3], ['hazStorage', 1]],
    complaintElements: [[EnvironmentalElement.AIR, 4], [EnvironmentalElement.NOISE, 1]],
    projects: ['年印刷{n:200-20000}万件包装装潢印刷品项目', '印刷废气收集处理改造项目'],
    wastes: ['废油墨', '废擦机布', '废活性炭'], vocProcesses: ['凹版印刷工序', '复合工序'],
    wastewater: '印版清洗废水', waterStandard: WATER_GENERAL, airStandard: '《印刷工业大气污染物排放标准》（GB 41616-2022）',
  },
  C3311: {
    code: 'C3311', name: '金属结构制造', words: ['钢结构', '金属制品', '钢构'], heavy: 0,
    pollutants: ['a34013', 'a24088'],
    violations: [['noise', 2], ['dust', 1], ['vocFacility', 1]],
    complaintElements: [[EnvironmentalElement.NOISE, 4], [EnvironmentalElement.AIR, 2]],
    projects: ['年产{n:2000-50000}吨钢结构件项目', '喷砂喷漆车间改造项目'],
    wastes: ['漆渣', '废矿物油'], vocProcesses: ['喷漆工序'],
    wastewater: '生活污水', waterStandard: WATER_GENERAL, airStandard: AIR_GENERAL,
  },
  D4620: {
    code: 'D4620', name: '污水处理及其再生利用', words: ['污水处理', '水务', '环保科技'], heavy: 2,
    pollutants: ['w01018', 'w21003', 'w21011', 'w21001', 'a21028'],
    violations: [['waterExceed', 3], ['selfMonitoring', 2]],
    complaintElements: [[EnvironmentalElement.AIR, 2], [EnvironmentalElement.SURFACE_WATER, 3]],
    projects: ['日处理{n:5000-100000}吨污水处理厂提标改造项目', '污泥深度脱水项目'],
    wastes: ['在线监测废液', '废矿物油'], vocProcesses: ['污泥脱水间'],
    wastewater: '尾水', waterStandard: '《城镇污水处理厂污染物排放标准》（GB 18918-2002）', airStandard: '《恶臭污染物排放标准》（GB 14554-93）',
  },
};

// ---------------------------------------------------------------------------------------------
// Districts

export interface Town {
  name: string;
  short: string;
}

export interface DistrictProfile {
  district: District;
  /** Prefix of source system names (WJ-EEB-ENFORCEMENT …). */
  abbr: 'WJ' | 'QP' | 'JS';
  divisionCode: string;
  /** Share of the generated enterprises. */
  weight: number;
  addressPrefix: string;
  towns: readonly Town[];
  /** Company name templates: {town} (short), {trade}, {word}. */
  nameForms: Weighted<string>;
  bureau: string;
  /** The bureau's organisation code body (8 characters, invented); the check characters are computed. */
  bureauOrgBody: string;
  eiaPrefix: string;
  penaltyPrefix: string;
  listingPrefix: string;
  creditScheme: CreditScheme;
  creditIssuer: string;
  /** Level weights of an enterprise without penalties in the year, and of one with. */
  creditLevels: Weighted<string>;
  creditLevelsPenalised: Weighted<string>;
  listingBasis: string;
  /** Resident ID region prefixes of the city (people born before and after the 2012 boundary change). */
  idPrefixes: readonly string[];
  industries: Weighted<string>;
}

export const DISTRICT_PROFILES: Record<District, DistrictProfile> = {
  [Jurisdiction.WUJIANG]: {
    district: Jurisdiction.WUJIANG, abbr: 'WJ', divisionCode: '320509', weight: 35,
    addressPrefix: '江苏省苏州市吴江区',
    towns: [
      { name: '盛泽镇', short: '盛泽' }, { name: '平望镇', short: '平望' }, { name: '黎里镇', short: '黎里' },
      { name: '震泽镇', short: '震泽' }, { name: '同里镇', short: '同里' }, { name: '松陵街道', short: '松陵' },
      { name: '七都镇', short: '七都' }, { name: '桃源镇', short: '桃源' },
    ],
    nameForms: [['吴江{town}{trade}{word}有限公司', 4], ['苏州{trade}{word}有限公司', 4], ['吴江{trade}{word}有限公司', 2], ['江苏{trade}{word}股份有限公司', 0.5]],
    bureau: '苏州市吴江生态环境局', bureauOrgBody: 'MB1L2935',
    eiaPrefix: '吴环建', penaltyPrefix: '吴环罚', listingPrefix: '吴环信',
    creditScheme: CreditScheme.JIANGSU_5, creditIssuer: '苏州市生态环境局',
    creditLevels: [['GREEN', 34], ['BLUE', 48], ['YELLOW', 13], ['RED', 4], ['BLACK', 1]],
    creditLevelsPenalised: [['GREEN', 3], ['BLUE', 27], ['YELLOW', 40], ['RED', 22], ['BLACK', 8]],
    listingBasis: '《长三角区域生态环境领域实施信用联合奖惩合作备忘录（2020年版）》；《江苏省社会信用条例》',
    idPrefixes: ['320584', '320509', '320584', '320506', '320583', '320581', '320502'],
    industries: [
      ['C1752', 22], ['C1713', 16], ['C1751', 14], ['C3831', 5], ['C3982', 6], ['C3360', 5], ['C2614', 3], ['C2641', 3],
      ['C2929', 5], ['C3670', 4], ['C2231', 3], ['G5990', 4], ['C1431', 3], ['C1391', 1], ['D4620', 2], ['C2319', 2], ['C3311', 2],
    ],
  },
  [Jurisdiction.QINGPU]: {
    district: Jurisdiction.QINGPU, abbr: 'QP', divisionCode: '310118', weight: 35,
    addressPrefix: '上海市青浦区',
    towns: [
      { name: '朱家角镇', short: '朱家角' }, { name: '金泽镇', short: '金泽' }, { name: '练塘镇', short: '练塘' },
      { name: '华新镇', short: '华新' }, { name: '白鹤镇', short: '白鹤' }, { name: '赵巷镇', short: '赵巷' },
      { name: '徐泾镇', short: '徐泾' }, { name: '重固镇', short: '重固' },
    ],
    nameForms: [['上海{trade}{word}有限公司', 7], ['上海青浦{trade}{word}有限公司', 1.5], ['上海{trade}{word}股份有限公司', 0.5]],
    bureau: '上海市青浦区生态环境局', bureauOrgBody: 'MB2F0763',
    eiaPrefix: '青环保许评', penaltyPrefix: '青环罚', listingPrefix: '青环信',
    creditScheme: CreditScheme.SHANGHAI_2024, creditIssuer: '上海市生态环境局',
    creditLevels: [['A', 26], ['B', 50], ['C', 17], ['D', 5], ['E', 2]],
    creditLevelsPenalised: [['A', 2], ['B', 28], ['C', 40], ['D', 22], ['E', 8]],
    listingBasis: '《长三角区域生态环境领域实施信用联合奖惩合作备忘录（2020年版）》；《上海市社会信用条例》',
    idPrefixes: ['310229', '310118', '310229', '310104', '310112', '310115', '310117'],
    industries: [
      ['G5990', 10], ['G6020', 6], ['G5941', 2], ['C3982', 10], ['C3971', 3], ['C3976', 4], ['C2641', 5], ['C2614', 3],
      ['C2929', 8], ['C3360', 6], ['C3670', 8], ['C2319', 8], ['C1431', 6], ['C1391', 2], ['C2231', 4], ['C3311', 4],
      ['D4620', 2], ['C1752', 2],
    ],
  },
  [Jurisdiction.JIASHAN]: {
    district: Jurisdiction.JIASHAN, abbr: 'JS', divisionCode: '330421', weight: 30,
    addressPrefix: '浙江省嘉兴市嘉善县',
    towns: [
      { name: '西塘镇', short: '西塘' }, { name: '姚庄镇', short: '姚庄' }, { name: '陶庄镇', short: '陶庄' },
      { name: '天凝镇', short: '天凝' }, { name: '干窑镇', short: '干窑' }, { name: '大云镇', short: '大云' },
      { name: '惠民街道', short: '惠民' }, { name: '罗星街道', short: '罗星' },
    ],
    nameForms: [['嘉善{trade}{word}有限公司', 5], ['浙江{trade}{word}有限公司', 2.5], ['嘉兴{trade}{word}有限公司', 1.5], ['嘉善县{town}{trade}{word}厂', 0.5]],
    bureau: '嘉兴市生态环境局嘉善分局', bureauOrgBody: 'MB1A6841',
    eiaPrefix: '善环建函', penaltyPrefix: '嘉环（善）罚', listingPrefix: '嘉环（善）信',
    creditScheme: CreditScheme.ZHEJIANG_2025, creditIssuer: '嘉兴市生态环境局',
    creditLevels: [['GREEN', 35], ['BLUE', 49], ['YELLOW', 12], ['RED', 4]],
    creditLevelsPenalised: [['GREEN', 3], ['BLUE', 32], ['YELLOW', 42], ['RED', 23]],
    listingBasis: '《长三角区域生态环境领域实施信用联合奖惩合作备忘录（2020年版）》；《浙江省公共信用信息管理条例》',
    idPrefixes: ['330421', '330421', '330402', '330411', '330482', '330424', '330483'],
    industries: [
      ['C2110', 14], ['C2021', 10], ['C3982', 10], ['C3976', 5], ['C3971', 2], ['C1431', 7], ['C1391', 4], ['C3360', 7],
      ['C2929', 7], ['C3311', 6], ['C1752', 5], ['C1713', 3], ['C2641', 3], ['G5990', 4], ['G5941', 1], ['C3670', 5],
      ['C2231', 3], ['D4620', 1],
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Names, addresses, people

/** Characters combined into invented trade names (字号). */
export const TRADE_CHARS = [
  '鑫', '瑞', '丰', '华', '达', '泰', '宏', '源', '盛', '润', '嘉', '恒', '新', '永', '德', '昌', '隆', '汇', '锦', '祥',
  '富', '安', '信', '和', '明', '康', '宇', '晟', '骏', '辰', '拓', '联', '诚', '益', '佳', '茂', '兴', '旺', '立', '贝',
  '科', '迪', '凯', '帆', '琪', '浩', '博', '航', '涛', '峰', '悦', '卓', '远', '晨', '澜', '沃', '纳', '奥', '铭', '鼎',
  '禾', '邦', '亿', '欣', '顺', '美', '吉', '正', '通', '森',
] as const;

/** Road name stems; the generator adds 路/大道/东路 …. */
export const ROAD_STEMS = [
  '工业', '兴业', '振兴', '科技', '创业', '发展', '环镇', '环城', '滨河', '东方', '新港', '富民', '金桥', '长虹', '和平',
  '迎宾', '湖滨', '园区', '友谊', '人民', '文化', '建设', '胜利', '中山', '复兴', '青年', '通港', '车站', '育才', '新民',
] as const;
export const ROAD_SUFFIXES: Weighted<string> = [['路', 10], ['大道', 2], ['东路', 2], ['西路', 2], ['南路', 1], ['北路', 1], ['街', 1]];

export const SURNAMES: Weighted<string> = [
  ['王', 8], ['李', 7], ['张', 7], ['陈', 7], ['沈', 6], ['徐', 5], ['周', 5], ['吴', 5], ['朱', 5], ['顾', 4], ['陆', 4],
  ['钱', 3], ['姚', 3], ['金', 3], ['施', 3], ['杨', 3], ['刘', 3], ['黄', 3], ['孙', 3], ['费', 1], ['蒋', 2], ['胡', 2],
  ['范', 2], ['俞', 2], ['邱', 1], ['潘', 2], ['唐', 2], ['许', 2], ['郁', 1], ['凌', 1], ['倪', 1], ['盛', 1], ['褚', 1],
];
export const GIVEN_CHARS = [
  '建', '国', '明', '华', '伟', '强', '军', '平', '峰', '磊', '勇', '杰', '斌', '刚', '涛', '敏', '静', '丽', '芳', '艳',
  '红', '英', '霞', '燕', '娟', '琴', '梅', '婷', '雪', '佳', '文', '志', '永', '荣', '春', '林', '海', '新', '晓', '东',
  '辉', '利', '德', '良', '根', '宝', '金', '忠', '卫', '振', '鹏', '飞', '宇', '浩', '俊', '慧', '颖', '倩', '萍', '洁',
] as const;

/** Mobile number prefixes of the three operators. */
export const MOBILE_PREFIXES = [
  '139', '138', '137', '136', '135', '134', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '178',
  '130', '131', '132', '155', '156', '185', '186', '176', '133', '153', '180', '181', '189', '177', '199', '166', '191',
] as const;

// ---------------------------------------------------------------------------------------------
// Inspections, complaints, listings

export const INSPECTION_FINDINGS_COMPLIANT = [
  '企业正常生产，废水、废气治理设施运行正常，环境管理台账记录完整，未发现环境违法行为。',
  '现场检查时企业生产正常，治污设施运转正常，危险废物贮存场所设置规范，未发现问题。',
  '企业处于停产检修状态，治污设施完好，未发现违法排污行为。',
  '核对排污许可证载明事项，排放口设置、自行监测和台账记录符合要求，未发现问题。',
  '在线监测设备运行正常，数据传输有效，现场未发现异常排放。',
] as const;

export const INSPECTION_ISSUES = [
  '危险废物贮存间标识不规范',
  '环境管理台账记录不完整',
  '雨污分流不彻底，雨水排口有积水',
  '废气收集罩破损，收集效率偏低',
  '活性炭更换记录缺失',
  '自行监测报告未按期公开',
  '一般固废堆场未落实防雨措施',
  '排污口标志牌缺失',
  '治污设施运行记录与实际不符',
  '突发环境事件应急预案未及时修订',
] as const;

export const COMPLAINT_TEMPLATES: Record<EnvironmentalElement, readonly string[]> = {
  [EnvironmentalElement.AIR]: [
    '{place}附近经常闻到刺鼻异味，夜间尤其明显，怀疑是{company}排放废气，请相关部门查处。',
    '{company}烟囱经常冒出白烟，气味难闻，周边居民不敢开窗，希望尽快处理。',
    '反映{company}车间废气无组织排放，异味影响附近小区居民正常生活。',
    '{place}一带傍晚有明显化学品气味，来源疑似{company}，请核查其废气治理设施是否运行。',
  ],
  [EnvironmentalElement.NOISE]: [
    '{company}夜间生产噪声扰民，风机和冷却塔声音很大，严重影响休息。',
    '{company}货车夜间频繁进出装卸，噪声扰民，请求管理。',
    '{place}附近工厂晚上十点后仍在生产，机器轰鸣声很大，疑为{company}。',
  ],
  [EnvironmentalElement.SURFACE_WATER]: [
    '{company}附近河道出现有色废水，怀疑企业偷排生产废水，请尽快调查。',
    '{place}河浜水体发黑发臭，有死鱼漂浮，怀疑{company}排放废水。',
    '下雨时{company}雨水排口有泡沫状废水流出，请核查。',
  ],
  [EnvironmentalElement.GROUNDWATER]: [
    '担心{company}储罐区渗漏污染地下水，附近居民井水有异味，请检测。',
  ],
  [EnvironmentalElement.SOIL]: [
    '{company}厂区外空地倾倒不明废料，担心污染土壤，请核查。',
  ],
  [EnvironmentalElement.SOLID_WASTE]: [
    '{company}在厂外露天堆放废料和垃圾，下雨时有渗滤液流出，请处理。',
  ],
  [EnvironmentalElement.RADIATION]: [
    '{company}厂区新装设备，担心有辐射，请核查是否合规。',
  ],
  [EnvironmentalElement.ECOLOGY]: [
    '{company}扩建占用河道岸线，破坏周边植被，请核查。',
  ],
  [EnvironmentalElement.GENERAL]: [
    '{company}环保手续不全即投入生产，请核查其环评和排污许可情况。',
    '举报{company}环保设施形同虚设，请加强监管。',
  ],
};

export const COMPLAINT_REPLIES = [
  '经执法人员现场核查，企业治污设施正常运行，厂界监测结果达标，已要求企业加强日常管理，减少对周边影响。',
  '经现场核查，反映问题基本属实，已责令企业限期整改，并将跟踪复查整改落实情况。',
  '经调查，反映问题部分属实，企业存在{issue}的情况，已责令立即整改。',
  '经现场核查和采样监测，未发现企业存在违法排污行为，已将核查情况向来电人反馈。',
  '经调查，反映问题属实，已依法立案查处，并督促企业完成整改。',
] as const;

export const LISTING_REASONS = [
  '通过私设暗管方式排放水污染物，被依法处罚并移送公安机关',
  '篡改、伪造自动监测数据，情节严重',
  '非法处置危险废物，被依法处罚并移送公安机关',
  '拒不执行责令停产整治决定',
  '一年内因环境违法行为受到两次以上较大数额罚款',
  '未批先建且拒不改正，情节严重',
] as const;

export const PLACE_DETAILS = {
  locations: ['东北角', '西侧空地', '仓库外', '雨水排口附近', '车间南侧', '污水处理站旁', '北侧围墙边'],
  rivers: ['厂区外河道', '市政雨水管网', '附近河浜'],
  stacks: ['1#排气筒', '2#排气筒', '锅炉排气筒', '车间废气排气筒'],
  sides: ['东侧', '南侧', '西侧', '北侧'],
  vocFacilities: ['活性炭吸附装置', '废气喷淋塔', 'RTO焚烧装置', '静电净化装置', '催化燃烧装置'],
} as const;

/** Permit number letter by management class (排污许可证编号末位; registration receipts end in W). */
export const PERMIT_LETTER: Record<PermitClass, string> = {
  [PermitClass.KEY]: 'P',
  [PermitClass.SIMPLIFIED]: 'U',
  [PermitClass.REGISTRATION]: 'W',
};
